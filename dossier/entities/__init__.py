"""People, organisations and places: mention detection, base forms, cross-document resolution."""
