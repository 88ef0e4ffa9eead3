# The alert database's buckets on any S3 service; credentials come from the
# usual AWS_* environment variables.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = var.s3_endpoint != null
  skip_requesting_account_id  = var.s3_endpoint != null
  skip_region_validation      = var.s3_endpoint != null
  s3_use_path_style           = var.s3_endpoint != null
  endpoints {
    s3 = var.s3_endpoint
  }
}

resource "aws_s3_bucket" "alertdb" {
  for_each = { for b in var.buckets : b.name => b }
  bucket   = each.value.name
}

resource "aws_s3_bucket_lifecycle_configuration" "expire" {
  for_each = { for b in var.buckets : b.name => b if b.expiration_days != null }
  bucket   = aws_s3_bucket.alertdb[each.key].id
  rule {
    id     = "expire-alerts"
    status = "Enabled"
    filter {}
    expiration {
      days = each.value.expiration_days
    }
  }
}
