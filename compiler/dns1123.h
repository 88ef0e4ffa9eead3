/* dns1123.h - Kubernetes' DNS-1123 names (k8s.io/apimachinery validation).
 *
 *   label:     [a-z0-9]([-a-z0-9]*[a-z0-9])?, 1 to 63 characters
 *              (Service, Namespace and port names; most object names
 *              that become DNS labels)
 *   subdomain: parts of that form (of any length) joined by single dots,
 *              1 to 253 characters in all, as IsDNS1123Subdomain has it
 *              (most object names: KafkaTopic, KafkaUser, StorageClass, a
 *              label key's prefix)
 *
 * Both take a length, so a part of a larger string needs no copy:
 * dns1123_subdomain(key, slash - key).
 */
#ifndef ASBGEN_DNS1123_H
#define ASBGEN_DNS1123_H

#include <stdbool.h>
#include <stddef.h>

#define DNS1123_LABEL_MAX 63
#define DNS1123_SUBDOMAIN_MAX 253

bool dns1123_label(const char *s, size_t n);
bool dns1123_subdomain(const char *s, size_t n);

#endif
