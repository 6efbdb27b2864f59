"""The phrase list of the IKP indicator suggestions (indikator.yaml); a package so it is installed."""
