/** Mimetypes, file extensions and file names of media. */

const MIME_EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
	'application/zip': 'zip',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const EXTENSION_MIMES: Record<string, string> = { jpeg: 'image/jpeg', mpga: 'audio/mpeg', opus: 'audio/ogg', oga: 'audio/ogg' };
for (const [mime, extension] of Object.entries(MIME_EXTENSIONS)) EXTENSION_MIMES[extension] = mime;

/** File extension for a mimetype (`audio/ogg; codecs=opus` → ogg), or `bin`. */
export function extensionOf(mimetype: string | null): string {
	if (!mimetype) return 'bin';
	const base = mimetype.split(';')[0].trim().toLowerCase();
	return MIME_EXTENSIONS[base] ?? (/^[a-z]+\/([a-z0-9]{1,8})$/.exec(base)?.[1] ?? 'bin');
}

/** Mimetype for a file name's extension, or null when unknown. */
export function mimetypeOfName(fileName: string | null): string | null {
	if (!fileName) return null;
	const match = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
	return match ? (EXTENSION_MIMES[match[1].toLowerCase()] ?? null) : null;
}

/** Last path segment of a URL (without query), decoded, or null. */
export function fileNameOfUrl(url: string | null): string | null {
	if (!url) return null;
	const path = url.split(/[?#]/)[0];
	const last = path.slice(path.lastIndexOf('/') + 1);
	if (!last || !/\.[A-Za-z0-9]{1,8}$/.test(last)) return null;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}
