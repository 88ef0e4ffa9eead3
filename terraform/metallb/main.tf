# The IPAddressPool; the Services pin their addresses through annotations in
# the Kubernetes manifests, listed here as an output to review.
terraform {
  required_providers {
    kubernetes = { source = "hashicorp/kubernetes" }
  }
}

resource "kubernetes_manifest" "pool" {
  manifest = {
    apiVersion = "metallb.io/v1beta1"
    kind       = "IPAddressPool"
    metadata = {
      name      = var.metallb_address_pool.name
      namespace = var.metallb_namespace
    }
    spec = {
      addresses  = var.metallb_address_pool.addresses
      autoAssign = false
    }
  }
}

output "pinned_addresses" {
  value = { for p in var.pinned_addresses : p.service => p.address }
}
