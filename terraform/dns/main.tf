# A records by RFC 2136 dynamic updates; the server and key come from the
# provider's DNS_UPDATE_* environment variables.
terraform {
  required_providers {
    dns = { source = "hashicorp/dns" }
  }
}

resource "dns_a_record_set" "kafka" {
  for_each  = var.zone == null ? {} : { for r in var.dns_records : r.name => r if r.type == "A" }
  zone      = var.zone
  name      = trimsuffix(each.value.name, ".${var.zone}")
  addresses = each.value.rrdatas
  ttl       = each.value.ttl
}
