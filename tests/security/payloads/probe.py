# ruff: noqa: F821
# Run after the poisoning attack, in a fresh submission: what of it is visible here?
found, checked = find_poison(CTX["victim_token"])
report(found=found[:10], checked=checked)
