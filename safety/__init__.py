"""Policy, moderation, likeness firewall, watermarks and C2PA (issue: safety). Empty until then."""
