// Deterministic runbooks for the benchmarks: the same text on every run and every machine.

const FRONT_MATTER = `---
title: Generated benchmark runbook
description: Every construct the parser and the preview handle, repeated
owner: team-bench
tags: [bench, generated]
environment: staging
shell: bash
timeout: 10m
inputs:
  NAMESPACE: { description: Kubernetes namespace, default: payments, pattern: "^[a-z0-9-]+$" }
  REPLICAS: { type: number, default: 3, min: 1, max: 20 }
  TARGET: { choices: [staging, production] }
  API_TOKEN: { secret: true, description: Token for the admin API }
---

# Generated benchmark runbook

`;

/**
 * One section of a realistic runbook: prose with inline markup and links, an ordered list, task
 * items, a named step with expected output, a transcript with a placeholder, a table, a fence in a
 * block quote, a Python step and a non-runnable YAML block. Four steps, two manual steps.
 */
function richSection(n: number): string {
  return `## ${n}. Restart service-${n}

When **service-${n}** alerts on p99 latency, check its pods first. See the [dashboard](https://grafana.example.com/d/${n})
or https://status.example.com/service-${n} for context; the \`readiness\` probe is the usual suspect.

1. Confirm the alert in the on-call channel.
2. Look at the deploy history with \`kubectl rollout history\`.
3. Make sure nobody else is already on it.

- [ ] Page the owner of service-${n}
- [x] Open the incident document

Check that the pods of service-${n} are healthy.

\`\`\`bash {name=check-${n} timeout=2m}
kubectl get pods -n "$NAMESPACE" -l app=service-${n} -o wide
kubectl top pods -n "$NAMESPACE" -l app=service-${n}
\`\`\`

\`\`\`output
Running
\`\`\`

Restart it and watch the rollout.

\`\`\`console
$ kubectl rollout restart deploy/service-${n} -n <namespace>
deployment.apps/service-${n} restarted
$ kubectl rollout status deploy/service-${n} -n <namespace> \\
    --timeout=120s
deployment "service-${n}" successfully rolled out
\`\`\`

| Signal | Healthy | Action |
|---|---|---|
| p99 latency | < 300 ms | none |
| error rate | < 0.1 % | restart service-${n} |

> **Note**: on older clusters use the legacy command.
>
> \`\`\`sh
> kubectl scale deploy/service-${n} --replicas=0 -n "$NAMESPACE" && kubectl scale deploy/service-${n} --replicas="$REPLICAS" -n "$NAMESPACE"
> \`\`\`

Read the current error budget.

\`\`\`python {confirm}
import json, os
print(json.dumps({"service": "service-${n}", "namespace": os.environ["NAMESPACE"]}))
\`\`\`

The deployment should look like this:

\`\`\`yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-${n}
spec:
  replicas: 3
\`\`\`

`;
}

/** A runbook of rich sections, at least `bytes` long (UTF-8; the text is ASCII). */
export function generateRunbook(bytes: number): string {
  let text = FRONT_MATTER;
  for (let n = 1; text.length < bytes; n++) text += richSection(n);
  return text;
}

/**
 * A runbook with `steps` shell steps in sections of ten (H2 every 50 steps, H3 every 10), each
 * step introduced by a sentence, as a long operations runbook would be written.
 */
export function generateManyStepRunbook(steps: number): string {
  let text = FRONT_MATTER;
  for (let i = 0; i < steps; i++) {
    if (i % 50 === 0) text += `## Part ${i / 50 + 1}\n\nThe steps of this part run against the \`${'$'}{NAMESPACE}\` namespace.\n\n`;
    if (i % 10 === 0) text += `### Group ${i / 10 + 1}\n\n`;
    text += `Scale worker ${i} and check it.\n\n\`\`\`bash\nkubectl scale deploy/worker-${i} --replicas="$REPLICAS" -n "$NAMESPACE"\nkubectl get deploy/worker-${i} -n "$NAMESPACE"\n\`\`\`\n\n`;
  }
  return text;
}

/** The text with a few characters typed into the prose near its middle, as one keystroke-burst would. */
export function editNearMiddle(text: string, typed: string): string {
  const anchor = text.indexOf('Scale worker', text.length >> 1);
  const at = anchor >= 0 ? anchor + 'Scale worker'.length : text.length >> 1;
  return `${text.slice(0, at)}${typed}${text.slice(at)}`;
}
