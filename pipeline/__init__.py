"""Generation backends, sound and export (issue: generation). Empty until then: nothing here is used yet."""
