/**
 * An action a decision returns: data naming one side effect, carried out by the executor through
 * the runner registered for its `type`. Each wing defines its own actions beside their runners;
 * a function's definition assembles the union it can emit and the runner table that covers it.
 */
interface Action {
  type: string;
}

export type { Action };
