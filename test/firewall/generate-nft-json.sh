#!/usr/bin/env bash
# Loads an nft ruleset file into a fresh network namespace with the real nft and prints
# `nft -j list ruleset`: the JSON test/firewall/rulesets/*.json are made of.
# Usage (as root): test/firewall/generate-nft-json.sh RULES.nft > RULES.json
set -euo pipefail
ns="flowaudit-fw-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" nft -f "$1"
ip netns exec "$ns" nft -j list ruleset
