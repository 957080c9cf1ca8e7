// An allocation's files as a node serves them (Nomad's client/structs AllocFileInfo and
// client/lib/streamframer StreamFrame): the answers of `/v1/client/fs/ls`, `/stat` and the
// frames of `/logs` and `/stream`.
import { z } from 'zod';

const AllocFileInfoShape = {
  Name: z.string(),
  IsDir: z.boolean(),
  Size: z.number(),
  /** Go's `FileMode.String()`: `-rw-r--r--`, `drwxr-xr-x`. */
  FileMode: z.string(),
  ModTime: z.string(),
  /** Only from `stat`: the content type guessed from the first bytes. */
  ContentType: z.string().optional(),
};

/** The zod type of {@link AllocFileInfoSchema} (named, so declaration files stay small). */
export interface AllocFileInfoSchemaType extends z.ZodObject<typeof AllocFileInfoShape> {}

/** One file or directory of an allocation (Nomad's AllocFileInfo). */
export const AllocFileInfoSchema: AllocFileInfoSchemaType = z.object(AllocFileInfoShape);

/** A file's facts as sent on the wire. */
export type AllocFileInfo = z.infer<typeof AllocFileInfoSchema>;

const StreamFrameShape = {
  /** The file offset after this frame's data. */
  Offset: z.number().optional(),
  /** The bytes read, base64. */
  Data: z.string().optional(),
  /** The file read, relative to the allocation's directory. */
  File: z.string().optional(),
  /** `file deleted` or `file truncated`: the stream's position changed. */
  FileEvent: z.string().optional(),
};

/** The zod type of {@link StreamFrameSchema} (named, so declaration files stay small). */
export interface StreamFrameSchemaType extends z.ZodObject<typeof StreamFrameShape> {}

/**
 * One frame of a streamed read (Nomad's StreamFrame), JSON objects one after another; a frame
 * with no field (`{}`) is a heartbeat.
 */
export const StreamFrameSchema: StreamFrameSchemaType = z.object(StreamFrameShape);

/** A frame as sent on the wire. */
export type StreamFrame = z.infer<typeof StreamFrameSchema>;
