/**
 * Is a checkpoint file whole, and is the storage's metadata file beside it readable? Read straight from the disk, as
 * the CLI would decode them, without the CLI: when either is damaged the CLI cannot open the stack at all.
 *
 * gocloud.dev's fileblob (which the CLI's file backend writes through) replaces a blob atomically (a temporary file,
 * then a rename), but first rewrites the blob's `<file>.attrs` in place (os.Create, then one JSON write), and every
 * later read of the blob decodes that file. A kill between the two leaves it empty: "failed to load checkpoint: EOF".
 */
import { existsSync, readFileSync } from "fs";
import { gunzipSync } from "zlib";
import * as zlib from "zlib";

export type FileState = "whole" | "missing" | { damaged: string };

export const ATTRS = ".attrs";

/** The checkpoint's bytes decoded as the CLI does: by what they start with, not by the file's name. */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes).toString("utf8");
  if (bytes.readUInt32LE(0) === 0xfd2fb528) {
    const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
    if (!zstd) throw new Error("zstd-compressed, which this Node.js cannot read (Node.js 22.15 or later can)");
    return zstd(bytes).toString("utf8");
  }
  return bytes.toString("utf8");
}

/** A checkpoint is whole when it decodes to Pulumi's versioned checkpoint: {version, checkpoint: {...}}. */
export function checkpointState(file: string): FileState {
  if (!existsSync(file)) return "missing";
  try {
    const bytes = readFileSync(file);
    if (bytes.length === 0) return { damaged: "it is empty" };
    const parsed = JSON.parse(decode(bytes)) as { version?: unknown; checkpoint?: unknown } | null;
    if (typeof parsed?.version !== "number" || typeof parsed.checkpoint !== "object" || parsed.checkpoint === null) {
      return { damaged: "it is JSON but not a Pulumi checkpoint" };
    }
    return "whole";
  } catch (error) {
    return { damaged: `it cannot be read: ${(error as Error).message}` };
  }
}

/** The metadata file beside `file`: absent is fine (fileblob then assumes defaults); present, it must be a JSON object. */
export function attrsState(file: string): FileState {
  const attrs = file + ATTRS;
  if (!existsSync(attrs)) return "missing";
  try {
    const text = readFileSync(attrs, "utf8");
    if (text.trim() === "") return { damaged: `it is empty (${text.length} bytes)` };
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? "whole" : { damaged: "it is not a JSON object" };
  } catch (error) {
    return { damaged: `it is cut short or garbled: ${(error as Error).message}` };
  }
}

export const isDamaged = (state: FileState): state is { damaged: string } => typeof state === "object";
