import { defineEntity, p } from '@streaming-companion/sdk';

/** A viewer in a session's room, by the platform's enter and leave events: the room's size is the session's viewer count. */
export const RoomViewerEntity = defineEntity({
  name: 'ChaturbateRoomViewer',
  tableName: 'chaturbate_room_viewers',
  properties: {
    sessionId: p.uuid().primary(),
    /** Lowercased. */
    username: p.text().primary(),
    creatorId: p.uuid(),
  },
  indexes: [{ name: 'chaturbate_room_viewers_creator_idx', properties: ['creatorId'] }],
});
