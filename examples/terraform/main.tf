# The role GitHub Actions assumes with OIDC to deactivate the MFA devices of IAM users under one
# path, the GitHub OIDC provider if wanted, and the optional delete and self-service policies.
# The policies are the JSON documents in ../iam, read with file() and filled in below, so the
# documents the tests evaluate are the ones this module attaches.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  immutable_subject = var.github_owner_id != "" && var.github_repo_id != ""
  trust_document    = "${var.job_workflow_ref != "" ? "trust-policy-workflow" : "trust-policy-environment"}${local.immutable_subject ? "-immutable" : ""}"
  # The users the role may reset, as the documents' USERS glob: "*" for /, "people/*" for /people/.
  users = "${trimprefix(var.user_path, "/")}*"

  # Every placeholder of ../iam replaced as a whole word (GITHUB_OWNER never inside GITHUB_OWNER_ID).
  documents = {
    for name in ["permission-policy", "delete-virtual-devices-policy", "self-service-user-policy", local.trust_document] :
    name => replace(replace(replace(replace(replace(replace(replace(replace(replace(
      file("${path.module}/../iam/${name}.json"),
      "/\\bPARTITION\\b/", data.aws_partition.current.partition),
      "/\\bACCOUNT_ID\\b/", data.aws_caller_identity.current.account_id),
      "/\\bGITHUB_OWNER_ID\\b/", var.github_owner_id),
      "/\\bGITHUB_OWNER\\b/", var.github_owner),
      "/\\bGITHUB_REPO_ID\\b/", var.github_repo_id),
      "/\\bGITHUB_REPO\\b/", var.github_repo),
      "/\\bGITHUB_ENVIRONMENT\\b/", var.github_environment),
      "/\\bJOB_WORKFLOW_REF\\b/", var.job_workflow_ref),
      "/\\bUSERS\\b/", local.users)
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  # IAM trusts GitHub's certificate authority itself and ignores these for this URL.
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
}

resource "aws_iam_role" "mfa_reset" {
  name                 = var.role_name
  description          = "Assumed by GitHub Actions (OIDC) to deactivate the MFA devices of IAM users under ${var.user_path}."
  max_session_duration = 3600
  assume_role_policy   = local.documents[local.trust_document]
  depends_on           = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "mfa_reset" {
  name   = "mfa-reset"
  role   = aws_iam_role.mfa_reset.id
  policy = local.documents["permission-policy"]
}

resource "aws_iam_role_policy" "delete_virtual_devices" {
  count  = var.allow_delete_virtual_devices ? 1 : 0
  name   = "mfa-reset-delete-virtual-devices"
  role   = aws_iam_role.mfa_reset.id
  policy = local.documents["delete-virtual-devices-policy"]
}

resource "aws_iam_policy" "self_service" {
  count       = var.create_self_service_policy ? 1 : 0
  name        = "self-service-mfa"
  description = "Lets an IAM user deactivate their own MFA devices, only from an MFA-authenticated session."
  policy      = local.documents["self-service-user-policy"]
}
