variable "github_owner" {
  description = "The organisation or user that owns the repository (OWNER in OWNER/REPO)."
  type        = string
}

variable "github_repo" {
  description = "The repository whose workflow resets MFA (REPO in OWNER/REPO)."
  type        = string
}

variable "github_environment" {
  description = "The GitHub Environment the resetting job runs in (its required reviewers are the approval)."
  type        = string
  default     = "mfa-reset"
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

variable "pin_reusable_workflow" {
  description = "Also require job_workflow_ref OWNER/REPO/.github/workflows/mfa-reset.yml@refs/heads/main (the job runs in that reusable workflow)."
  type        = bool
  default     = false
}

variable "create_oidc_provider" {
  description = "Create the account's token.actions.githubusercontent.com OIDC provider; false when the account has it already."
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
