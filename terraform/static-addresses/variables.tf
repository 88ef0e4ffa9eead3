variable "project_id" {
  description = "Google Cloud project of the addresses and the DNS zone."
  type        = string
}

variable "region" {
  description = "Region of the cluster (static addresses are regional)."
  type        = string
}

variable "static_addresses" {
  description = "One regional static IP per Kafka load balancer, named after its Kubernetes Service."
  type = list(object({
    name    = string
    address = string
    region  = string
  }))
}

variable "dns_records" {
  description = "A records of the bootstrap, broker and schema registry host names."
  type = list(object({
    name    = string
    type    = string
    ttl     = number
    rrdatas = list(string)
  }))
  default = []
}

variable "dns_managed_zone" {
  description = "Cloud DNS managed zone holding the records; null: the records are managed elsewhere."
  type        = string
  default     = null
}
