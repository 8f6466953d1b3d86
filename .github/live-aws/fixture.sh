#!/usr/bin/env bash
# The live test's fixture (.github/workflows/live-aws.yml): throwaway IAM users with virtual MFA
# devices in a sandbox AWS account, made before the action resets them and removed after, whatever
# happened. It acts as the fixture role (docs/LIVE-AWS.md), assumed with the job's GitHub OIDC token;
# its tests (test/live/live-aws.test.ts) run it, unchanged, against the local stand-in.
#
#   fixture.sh setup               two users under LIVE_PATH, each with an enabled virtual device:
#                                  "admin" (the role resets it) and "self" (resets itself with its
#                                  keys and a code); outputs their names, devices and self's keys
#   fixture.sh code                a fresh code from self's device (one not used to enable it)
#   fixture.sh check-admin         the admin path's outcome: result, no device left, device deleted
#   fixture.sh check-self-service  the self-service outcome: result, step-up used, no device left
#   fixture.sh cleanup             removes every user and virtual device under LIVE_PATH
#
# Environment: FIXTURE_ROLE_ARN (required), SELF_SERVICE_POLICY_ARN (setup), LIVE_PATH (default
# /deactivate-iam-mfa-live/), RUN_TAG (default GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT), AWS_REGION
# (default us-east-1), STATE_DIR (default $RUNNER_TEMP/live-aws), the runner's
# ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN and GITHUB_OUTPUT; the checks read RESULT, STEP_UP_USED and
# DELETED_DEVICES. Tests only: AWS_ENDPOINT_URL (the stand-in, given to the AWS CLI as
# --endpoint-url, which CLI 2.9 needs) and LIVE_AWS_CLOCK_OFFSET (seconds to add to this clock, to
# follow the stand-in's moved clock).
set -euo pipefail

LIVE_PATH=${LIVE_PATH:-/deactivate-iam-mfa-live/}
RUN_TAG=${RUN_TAG:-${GITHUB_RUN_ID:-local}-${GITHUB_RUN_ATTEMPT:-1}}
STATE_DIR=${STATE_DIR:-${RUNNER_TEMP:-/tmp}/live-aws}
export AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1}
export AWS_PAGER=''
ADMIN_USER="dim-live-$RUN_TAG-admin"
SELF_USER="dim-live-$RUN_TAG-self"
mkdir -p "$STATE_DIR"

fail() {
  echo "::error::$*"
  exit 1
}

aws_cli() {
  aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} --output text "$@"
}

# The items of a list the query selects, one a line (none for an empty or absent list).
aws_list() {
  aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} --output json "$@" | jq -r '.[]?'
}

now() {
  echo $(($(date +%s) + ${LIVE_AWS_CLOCK_OFFSET:-0}))
}

output() {
  echo "$1=$2" >> "${GITHUB_OUTPUT:?}"
}

# RFC 6238 TOTP (SHA-1, 6 digits, 30 s steps), as AWS's virtual devices compute it: $1 the base32
# seed, $2 the time step.
totp() {
  local seed=$1 step=$2 key message mac offset
  while (( ${#seed} % 8 )); do seed+='='; done
  key=$(printf '%s' "$seed" | base32 -d | od -An -v -tx1 | tr -d ' \n')
  message=$(printf '%016x' "$step" | sed 's/../\\x&/g')
  # shellcheck disable=SC2059 # the message is \xHH escapes for printf to turn into bytes
  mac=$(printf "$message" | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$key" | sed 's/^.*= *//')
  offset=$((16#${mac:39:1} * 2))
  printf '%06d\n' $(((16#${mac:offset:8} & 0x7fffffff) % 1000000))
}

# Act as the fixture role: AssumeRoleWithWebIdentity with this job's OIDC token, credentials in
# this process's environment only (each step assumes the role again).
assume_fixture_role() {
  local token credentials
  [ -n "${FIXTURE_ROLE_ARN:-}" ] || fail "FIXTURE_ROLE_ARN is not set: the repository variable LIVE_AWS_FIXTURE_ROLE_ARN (docs/LIVE-AWS.md)"
  [ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || fail "no OIDC token: the job needs permissions: id-token: write"
  token=$(curl -sSf -H "Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value)
  echo "::add-mask::$token"
  credentials=$(aws_cli sts assume-role-with-web-identity --role-arn "$FIXTURE_ROLE_ARN" --role-session-name "live-$RUN_TAG" \
    --web-identity-token "$token" --duration-seconds 900 --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')
  read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<< "$credentials"
  echo "::add-mask::$AWS_SECRET_ACCESS_KEY"
  echo "::add-mask::$AWS_SESSION_TOKEN"
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
}

# A virtual device for user $1, named after it under LIVE_PATH, enabled with the codes of the
# previous and the current time step (two consecutive codes, the second one current, as a person
# types them). Its serial goes to DEVICE_SERIAL; its seed and the last step used stay in STATE_DIR
# for `code`.
enable_virtual_device() {
  local user=$1 seed step
  DEVICE_SERIAL=$(aws_cli iam create-virtual-mfa-device --virtual-mfa-device-name "$user" --path "$LIVE_PATH" \
    --outfile "$STATE_DIR/$user.seed" --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber)
  seed=$(cat "$STATE_DIR/$user.seed")
  echo "::add-mask::$seed"
  step=$(($(now) / 30))
  aws_cli iam enable-mfa-device --user-name "$user" --serial-number "$DEVICE_SERIAL" \
    --authentication-code1 "$(totp "$seed" $((step - 1)))" --authentication-code2 "$(totp "$seed" "$step")"
  echo "$step" > "$STATE_DIR/$user.step"
}

setup() {
  assume_fixture_role
  [ -n "${SELF_SERVICE_POLICY_ARN:-}" ] || fail "SELF_SERVICE_POLICY_ARN is not set: the repository variable LIVE_AWS_SELF_SERVICE_POLICY_ARN (docs/LIVE-AWS.md)"
  local admin_device self_device keys key_id secret
  aws_cli iam create-user --user-name "$ADMIN_USER" --path "$LIVE_PATH" > /dev/null
  enable_virtual_device "$ADMIN_USER"
  admin_device=$DEVICE_SERIAL

  aws_cli iam create-user --user-name "$SELF_USER" --path "$LIVE_PATH" > /dev/null
  aws_cli iam attach-user-policy --user-name "$SELF_USER" --policy-arn "$SELF_SERVICE_POLICY_ARN"
  keys=$(aws_cli iam create-access-key --user-name "$SELF_USER" --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
  read -r key_id secret <<< "$keys"
  echo "::add-mask::$secret"
  enable_virtual_device "$SELF_USER"
  self_device=$DEVICE_SERIAL

  # A new key takes a few seconds to be usable everywhere (IAM is eventually consistent).
  local tries=0
  until (
    unset AWS_SESSION_TOKEN
    export AWS_ACCESS_KEY_ID=$key_id AWS_SECRET_ACCESS_KEY=$secret
    aws_cli sts get-caller-identity > /dev/null 2>&1
  ); do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || fail "the self-service user's new access key never worked"
    sleep 2
  done

  output admin-user "$ADMIN_USER"
  output admin-device "$admin_device"
  output self-user "$SELF_USER"
  output self-device "$self_device"
  output access-key-id "$key_id"
  output secret-access-key "$secret"
  echo "Created $ADMIN_USER ($admin_device) and $SELF_USER ($self_device) under $LIVE_PATH."
}

# A code AWS has not seen: from a time step after the two used to enable the device.
code() {
  local seed used step waited=0
  seed=$(cat "$STATE_DIR/$SELF_USER.seed")
  used=$(cat "$STATE_DIR/$SELF_USER.step")
  echo "::add-mask::$seed"
  while step=$(($(now) / 30)); [ "$step" -le "$used" ]; do
    [ "$waited" -lt 70 ] || fail "the clock did not reach a new time step"
    sleep 1
    waited=$((waited + 1))
  done
  local value
  value=$(totp "$seed" "$step")
  echo "::add-mask::$value"
  output mfa-token "$value"
  echo "A code of time step $step (the device was enabled with steps up to $used)."
}

devices_of() {
  aws_list iam list-mfa-devices --user-name "$1" --query 'MFADevices[].SerialNumber'
}

virtual_device_exists() {
  [ -n "$(aws_list iam list-virtual-mfa-devices --query "VirtualMFADevices[?SerialNumber=='$1'].SerialNumber")" ]
}

check_admin() {
  [ "${RESULT:-}" = deactivated ] || fail "admin path: result '${RESULT:-}', expected 'deactivated'"
  assume_fixture_role
  [ -z "$(devices_of "$ADMIN_USER")" ] || fail "admin path: $ADMIN_USER still has an MFA device"
  local serial
  serial=$(jq -r '.[0] // ""' <<< "${DELETED_DEVICES:-[]}")
  [ -n "$serial" ] || fail "admin path: no device in deleted-devices"
  if virtual_device_exists "$serial"; then fail "admin path: $serial was reported deleted, but exists"; fi
  echo "Admin path: $ADMIN_USER has no MFA device left, and $serial is deleted."
}

check_self_service() {
  [ "${RESULT:-}" = deactivated ] || fail "self-service: result '${RESULT:-}', expected 'deactivated'"
  [ "${STEP_UP_USED:-}" = true ] || fail "self-service: step-up-used '${STEP_UP_USED:-}', expected 'true'"
  assume_fixture_role
  [ -z "$(devices_of "$SELF_USER")" ] || fail "self-service: $SELF_USER still has an MFA device"
  echo "Self-service: $SELF_USER stepped up and has no MFA device left."
}

# Everything under LIVE_PATH, whichever run made it: the workflow runs one at a time, and a run
# that died before its clean-up leaves users behind for the next one to remove.
cleanup() {
  assume_fixture_role
  local account user serial key policy left=0
  account=$(aws_cli sts get-caller-identity --query Account)
  while read -r user; do
    [ -n "$user" ] || continue
    while read -r serial; do
      [ -z "$serial" ] || aws_cli iam deactivate-mfa-device --user-name "$user" --serial-number "$serial" || left=1
    done < <(devices_of "$user")
    while read -r key; do
      [ -z "$key" ] || aws_cli iam delete-access-key --user-name "$user" --access-key-id "$key" || left=1
    done < <(aws_list iam list-access-keys --user-name "$user" --query 'AccessKeyMetadata[].AccessKeyId')
    while read -r policy; do
      [ -z "$policy" ] || aws_cli iam detach-user-policy --user-name "$user" --policy-arn "$policy" || left=1
    done < <(aws_list iam list-attached-user-policies --user-name "$user" --query 'AttachedPolicies[].PolicyArn')
    if aws_cli iam delete-user --user-name "$user"; then echo "Deleted user $user."; else left=1; fi
  done < <(aws_list iam list-users --path-prefix "$LIVE_PATH" --query 'Users[].UserName')
  # Devices whose user is gone, or that were never enabled: those under LIVE_PATH only.
  while read -r serial; do
    [[ "$serial" == arn:*":iam::$account:mfa$LIVE_PATH"* ]] || continue
    if aws_cli iam delete-virtual-mfa-device --serial-number "$serial"; then echo "Deleted virtual device $serial."; else left=1; fi
  done < <(aws_list iam list-virtual-mfa-devices --assignment-status Unassigned --query 'VirtualMFADevices[].SerialNumber')
  rm -rf "$STATE_DIR"
  [ "$left" = 0 ] || fail "clean-up left something under $LIVE_PATH: see the errors above"
}

case "${1:-}" in
  setup) setup ;;
  code) code ;;
  check-admin) check_admin ;;
  check-self-service) check_self_service ;;
  cleanup) cleanup ;;
  *) fail "usage: $0 setup|code|check-admin|check-self-service|cleanup" ;;
esac
