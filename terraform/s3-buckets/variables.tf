variable "s3_endpoint" {
  description = "S3 endpoint URL (null: AWS itself)."
  type        = string
  default     = null
}

variable "buckets" {
  description = "The alert database's buckets; expiration_days null: objects are kept."
  type = list(object({
    name            = string
    expiration_days = number
  }))
}
