import { RETURN_LIMITS } from "../contract";
import { ApiError } from "../http/error";

/** The image types a return photo may be, told by their first bytes (the declared type must agree). */
const SIGNATURES: ReadonlyArray<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/png", test: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v) },
  {
    type: "image/webp",
    test: (b) => String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP",
  },
];

/**
 * Checks an uploaded photo: at most 5 MB, and a JPEG, PNG or WebP by its content, not by its name or
 * its declared type alone (a declared type that disagrees with the bytes is refused too).
 */
export function checkPhoto(bytes: Uint8Array, declaredType: string): string {
  if (bytes.byteLength === 0) throw new ApiError(400, "photo_empty", "The photo is empty");
  if (bytes.byteLength > RETURN_LIMITS.photoBytes) throw new ApiError(413, "photo_too_large", `A photo is at most ${RETURN_LIMITS.photoBytes} bytes`);
  const found = SIGNATURES.find((s) => s.test(bytes));
  if (!found) throw new ApiError(415, "photo_type_not_allowed", "A photo must be a JPEG, PNG or WebP image");
  const declared = declaredType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (declared !== "" && declared !== "application/octet-stream" && declared !== found.type) {
    throw new ApiError(415, "photo_type_mismatch", `The photo is declared ${declared} but is ${found.type}`);
  }
  return found.type;
}
