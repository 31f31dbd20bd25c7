export { WidgetsConfig } from './config.ts';
export * from './contract.ts';
export { MEDIA_FORMATS, type MediaFormat } from './media-formats.ts';
export { widgetsPlugin } from './plugin.ts';
