export { ChaturbateConfig } from './config.ts';
export * from './contract.ts';
export { ConnectionEntity, type Connection } from './entities/connection.ts';
export { RoomViewerEntity } from './entities/room-viewer.ts';
export { SeenEventEntity } from './entities/seen-event.ts';
export { chaturbatePlugin } from './plugin.ts';
