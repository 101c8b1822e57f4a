// Placeholder until the CLI lands; replaced by src/cli/ work.
int main() { return 0; }
