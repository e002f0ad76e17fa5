/** Terminal output helpers: Chinese text for people, --json for machines, progress only on a TTY. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function println(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function progressReporter(enabled: boolean) {
  const tty = enabled && process.stderr.isTTY;
  let last = 0;
  return {
    update(label: string, done: number, total: number) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`,
      );
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

/**
 * A progress line on stdout for long jobs (payroll, batch verification): redrawn in place on a terminal,
 * else one line every 10% (so logs of scheduled runs stay short).
 */
export function progressPrinter(enabled: boolean, label: string) {
  const tty = enabled && process.stdout.isTTY === true;
  let lastDecile = -1;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done: number, total: number) {
      if (!enabled) return;
      const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        process.stdout.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`,
        );
        drawn = true;
        return;
      }
      const decile = Math.floor(pct / 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        println(`${label} ${pct}%（${done}/${total}）`);
      }
    },
    done() {
      if (tty && drawn) process.stdout.write('\n');
    },
  };
}

/** Runs a command body, printing a Chinese error and setting exit code 1 instead of a stack trace. */
export async function runCommand(body: () => Promise<void>, json = false): Promise<void> {
  try {
    await body();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (json) printJson({ ok: false, error: { code: (e as { code?: string }).code ?? 'ERROR', message } });
    else process.stderr.write(`错误：${message}\n`);
    if (process.env.JIUZHU_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}
