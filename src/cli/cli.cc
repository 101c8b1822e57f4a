// Placeholder: the CLI is being written (src/cli/).
