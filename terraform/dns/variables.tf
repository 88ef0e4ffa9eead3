variable "dns_records" {
  description = "A records of the bootstrap, broker and schema registry host names (fully qualified, with the final dot)."
  type = list(object({
    name    = string
    type    = string
    ttl     = number
    rrdatas = list(string)
  }))
}

variable "zone" {
  description = "The DNS zone the records are in, with the final dot (lsst.cloud.); null: the records are managed elsewhere."
  type        = string
  default     = null
}
