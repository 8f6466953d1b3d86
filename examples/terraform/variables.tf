variable "github_owner" {
  description = "The organisation or user that owns the repository (OWNER in OWNER/REPO)."
  type        = string
}

variable "github_repo" {
  description = "The repository whose workflow resets MFA (REPO in OWNER/REPO)."
  type        = string
}

variable "github_environment" {
  description = "The GitHub Environment the resetting job runs in: iam-admin for the reusable workflow mfa-reset.yml (its default), mfa-requests for the request flow mfa-request.yml."
  type        = string
  default     = "iam-admin"
}

variable "github_owner_id" {
  description = "The owner's numeric id. With github_repo_id, pins the immutable subject repo:OWNER@OWNER_ID/REPO@REPO_ID:environment:NAME (GitHub's default for repositories created or renamed since 2026-07-15). Empty: the name form."
  type        = string
  default     = ""
}

variable "github_repo_id" {
  description = "The repository's numeric id (see github_owner_id)."
  type        = string
  default     = ""
}

variable "job_workflow_ref" {
  description = "The workflow file and ref the job's token names in job_workflow_ref, pinned by the trust policy. Default: this action's reusable workflow at the major tag, as the README calls it. Pinned by commit SHA, end it in @SHA; for the request flow, OWNER/REPO/.github/workflows/mfa-request.yml@refs/heads/main. Empty: no pin."
  type        = string
  default     = "mfa-actions/deactivate-iam-mfa/.github/workflows/mfa-reset.yml@refs/tags/v1"
  validation {
    condition     = can(regex("^([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+/\\.github/workflows/[A-Za-z0-9._-]+\\.ya?ml@[A-Za-z0-9._/-]+)?$", var.job_workflow_ref))
    error_message = "job_workflow_ref is OWNER/REPO/.github/workflows/FILE.yml@REF, or empty."
  }
}

variable "user_path" {
  description = "The IAM path of the users the role may reset: \"/\" for every user (IAM's default path), or a path like \"/people/\" for only the users under it. The denies of /admins/ and of users tagged mfa-reset-protected=true hold either way."
  type        = string
  validation {
    condition     = can(regex("^(/|/[A-Za-z0-9+=,.@_-]+(/[A-Za-z0-9+=,.@_-]+)*/)$", var.user_path))
    error_message = "user_path is an IAM path: \"/\", or one like \"/people/\"."
  }
}

variable "create_oidc_provider" {
  description = "Create the account's token.actions.githubusercontent.com OIDC provider; false when the account has it already (one provider per URL: a second fails with EntityAlreadyExists)."
  type        = bool
  default     = true
}

variable "allow_delete_virtual_devices" {
  description = "Let the role delete the virtual devices it deactivated (the delete-virtual-devices input)."
  type        = bool
  default     = false
}

variable "create_self_service_policy" {
  description = "Create the managed policy for IAM users who reset their own MFA with their keys and a code."
  type        = bool
  default     = false
}

variable "role_name" {
  type    = string
  default = "github-mfa-reset"
}
