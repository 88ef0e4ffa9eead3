variable "metallb_address_pool" {
  description = "The MetalLB address pool the Kafka load balancers draw from."
  type = object({
    name      = string
    addresses = list(string)
  })
}

variable "pinned_addresses" {
  description = "The address each Kafka Service pins (metallb.io/loadBalancerIPs); each must lie in the pool."
  type = list(object({
    service = string
    address = string
  }))
  default = []
}

variable "metallb_namespace" {
  description = "Namespace MetalLB runs in."
  type        = string
  default     = "metallb-system"
}
