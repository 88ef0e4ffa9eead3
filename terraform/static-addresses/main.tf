# The static IPs the Kafka Services pin (loadBalancerIP), and optionally
# their DNS records.
terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

resource "google_compute_address" "kafka" {
  for_each     = { for a in var.static_addresses : a.name => a }
  name         = each.value.name
  address      = each.value.address
  region       = each.value.region
  address_type = "EXTERNAL"
}

resource "google_dns_record_set" "kafka" {
  for_each     = var.dns_managed_zone == null ? {} : { for r in var.dns_records : r.name => r }
  managed_zone = var.dns_managed_zone
  name         = each.value.name
  type         = each.value.type
  ttl          = each.value.ttl
  rrdatas      = each.value.rrdatas
}

output "addresses" {
  value = { for k, a in google_compute_address.kafka : k => a.address }
}
