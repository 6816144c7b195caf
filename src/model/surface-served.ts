// What the mock serves on each contract path today, as the routes decide it: reads, the bound
// operations with a behaviour, and the writes. The README's surface table (surface-table.ts) shows it.

// The app registers every behaviour's operations as it loads (registerOperation): load it all, so that
// the table lists what a running mock serves, whichever modules the caller loaded first.
import '../app.js'
import { servedMethods } from '../routes/resources.js'
import { writeMethodsOf } from '../routes/writes.js'
import { Model } from './index.js'
import type { PathModel, ServiceModel } from './types.js'

const runtimeModels = new WeakMap<ServiceModel, Model>()

/** The methods the routes serve on `path` of `data`'s version. */
export function servedMethodsOf (data: ServiceModel, path: PathModel): string[] {
  let model = runtimeModels.get(data)
  if (model === undefined) {
    model = new Model(data)
    runtimeModels.set(data, model)
  }
  return [...new Set([...servedMethods(model, path), ...writeMethodsOf(path)])]
}
