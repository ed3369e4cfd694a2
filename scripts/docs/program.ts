// Every command of the `kubeless` binary, loaded and registered into one program: what the flag
// tables of docs/ are made from (the lazy root entry loads only one command per run).
import type { Command } from 'commander';
import { newProgram } from '../../cli/lazy.js';
import { COMMANDS } from '../../main.js';

export async function fullProgram(): Promise<Command> {
  const program = newProgram();
  for (const c of COMMANDS) (await c.load()).register(program, COMMANDS);
  return program;
}
