// float32 arrays and bytes ⇄ base64 with atob/btoa (global in Node ≥ 16 and in browsers; Buffer is Node-only).

/** The bytes a base64 string encodes. */
export function bytesFromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The floats stored in a base64 string of little-endian float32 bytes. */
export function floatsFromBase64(b64: string): Float32Array {
  const bytes = bytesFromBase64(b64);
  if (bytes.length % 4 !== 0) throw new Error(`floatsFromBase64: ${bytes.length} bytes is not a whole number of float32 values`);
  return new Float32Array(bytes.buffer);
}

/** base64 of bytes. */
export function base64FromBytes(bytes: Uint8Array): string {
  let bin = '';
  // In chunks: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin);
}

/** base64 of the floats' bytes. */
export function base64FromFloats(values: ArrayLike<number>): string {
  return base64FromBytes(new Uint8Array(Float32Array.from(values).buffer));
}
