"""The web interface (`dossier serve`) and the pieces the case report shares with it."""
