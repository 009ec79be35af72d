"""The Emergency Response and Training Plans element has no data of its own: only its two documents."""
