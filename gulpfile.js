// Copies node and credential icons next to the compiled files in dist/ (tsc copies only code).
const { src, dest, parallel, task } = require('gulp');

function copyIcons(folder) {
	const copy = () =>
		src(`${folder}/**/*.{png,svg}`, { encoding: false }).pipe(dest(`dist/${folder}`));
	copy.displayName = `icons:${folder}`;
	return copy;
}

task('build:icons', parallel(copyIcons('nodes'), copyIcons('credentials')));
