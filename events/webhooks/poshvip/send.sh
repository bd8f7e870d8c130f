#!/usr/bin/env bash
# Sends sample Posh.VIP deliveries to the receiver, authenticated as a sender would, body bytes as in the file.
#
#   POSHVIP_WEBHOOK_SECRET=<the secret the service runs with> events/webhooks/poshvip/send.sh [file.json ...]
#
# Without files it sends every sample here, in an order that tells a story (order, refund, transfer, check-in).
# Style per file: Posh's flat samples with the Posh-Secret header (as Posh does), the dotted ones
# (purchase.created, ...) signed the Standard Webhooks way. Override with STYLE=posh-secret|signature|standard.
# URL: SIGNUP_SYNC_URL, else BASE (what the local run's local-run.env sets), else http://127.0.0.1:8080.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="${SIGNUP_SYNC_URL:-${BASE:-http://127.0.0.1:8080}}/api/webhooks/poshvip"
secret="${POSHVIP_WEBHOOK_SECRET:?set POSHVIP_WEBHOOK_SECRET to the secret the service was started with}"

# The HMAC key: a Standard Webhooks secret (whsec_<base64>) signs with its decoded bytes, any other with its text.
if [[ "$secret" == whsec_* ]]; then
  key_hex="$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
else
  key_hex="$(printf '%s' "$secret" | od -An -v -tx1 | tr -d ' \n')"
fi
hmac() { openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary; }

if [[ $# -eq 0 ]]; then
  set -- new_order.json order_updated-refunded.json new_order_request.json pending_order_actioned-approved.json \
         pending_order_actioned-denied.json order_updated-partial_refund.json order_updated-disputed.json \
         order_updated-cancelled.json purchase.created.json purchase.updated.json purchase.refunded.json \
         ticket.transferred.json ticket.checked_in.json
fi

for name in "$@"; do
  file="$name"
  [[ -f "$file" ]] || file="$here/$name"
  base="$(basename "$file")"
  style="${STYLE:-}"
  if [[ -z "$style" ]]; then
    case "$base" in *.*.json) style=standard ;; *) style=posh-secret ;; esac
  fi
  headers=(-H "Content-Type: application/json")
  case "$style" in
    posh-secret)
      headers+=(-H "Posh-Secret: $secret") ;;
    signature)
      headers+=(-H "X-Posh-Signature: $(hmac < "$file" | od -An -v -tx1 | tr -d ' \n')") ;;
    standard)
      id="msg_$(basename "$base" .json)_$(date +%s%N)"
      ts="$(date +%s)"
      sig="$( { printf '%s.%s.' "$id" "$ts"; cat "$file"; } | hmac | base64 | tr -d '\n')"
      headers+=(-H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig") ;;
    *) echo "STYLE must be posh-secret, signature or standard" >&2; exit 2 ;;
  esac
  printf '%-40s %-12s ' "$base" "$style"
  curl -sS -X POST "$url" "${headers[@]}" --data-binary "@$file" -w '  -> HTTP %{http_code}\n'
done
