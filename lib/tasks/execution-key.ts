// The key of a standalone task's execution, in a module of its own so the task's workflow code and the service that
// enqueues it can both name it without importing each other.

/** The key of a standalone task's execution (unique, so a task has at most one). */
export function taskExecutionKey(taskId: string): string {
  return `task:${taskId}`;
}
