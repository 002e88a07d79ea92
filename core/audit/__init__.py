"""The audit: rules that check a document's own accounting identities and report findings with evidence."""
