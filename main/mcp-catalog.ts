// The LLM providers and models, MCP servers and tools this app knows. Telemetry records only these
// labels (anything else as `other`); add an entry here when the app gains a provider or a server.
export const MCP_CATALOG = {
  llm: {
    anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    openai: ['gpt-5', 'gpt-5-mini'],
    ollama: ['llama3.1:8b', 'qwen2.5:7b'],
  },
  tools: {
    filesystem: ['read_file', 'write_file', 'list_directory', 'search_files'],
    github: ['create_issue', 'list_issues', 'get_pull_request'],
    fetch: ['fetch'],
  },
} as const;
