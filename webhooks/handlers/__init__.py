"""One module per webhook field family; webhooks.dispatch.HANDLERS routes changes to them."""
