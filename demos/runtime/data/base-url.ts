/**
 * Where the site serves its shipped files. A module of its own, without tfjs, so that a view that only
 * fetches shipped data (a tensor-free demo: registry `tensors: false`) does not pull tfjs into its chunk.
 */

/** Where the site serves the model directories (public/models/). */
export const MODELS_BASE_URL = '/models/';
