export { packageNameProblem, pluginIdProblem, pluginNames, ScaffoldError, type PluginNames } from './plugin-names.ts';
export { scaffoldPlugin, type ScaffoldedPlugin, type ScaffoldOptions } from './scaffold.ts';
