// The inputs form's view of a runbook's inputs: values of plain ones, only whether a secret is set.

import type * as vscode from 'vscode';
import type { Runbook } from '../../core/runbook';
import type { InputStore } from '../workspace/inputStore';
import type { InputView } from './protocol';

export async function inputViews(inputs: InputStore, uri: vscode.Uri, runbook: Runbook): Promise<InputView[]> {
  return Promise.all(
    runbook.inputs.map(async (spec): Promise<InputView> => {
      const { value, isSet } = await inputs.describe(uri, spec);
      return {
        name: spec.name,
        type: spec.type,
        description: spec.description,
        value: spec.secret ? undefined : value,
        placeholder: spec.default,
        pattern: spec.pattern,
        min: spec.min,
        max: spec.max,
        choices: spec.choices,
        required: spec.required,
        secret: spec.secret,
        hasValue: isSet,
      };
    }),
  );
}
