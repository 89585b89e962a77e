import { spawn } from 'node:child_process';

/** Rasterises `file.svg` beside itself as `file.png` with ffmpeg (Debian's build reads SVG through librsvg). */
export function svgToPng(svgFile: string): Promise<string> {
  const png = svgFile.replace(/\.svg$/, '.png');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', svgFile, '-frames:v', '1', png], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(png) : reject(new Error(`ffmpeg could not rasterise ${svgFile} (its build needs librsvg): ${err.trim()}`)),
    );
  });
}
