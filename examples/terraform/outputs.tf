output "role_arn" {
  description = "The role-to-assume input of deactivate-iam-mfa."
  value       = aws_iam_role.mfa_reset.arn
}

output "self_service_policy_arn" {
  description = "Attach to the IAM users (or their group) who may reset their own MFA."
  value       = var.create_self_service_policy ? aws_iam_policy.self_service[0].arn : null
}
