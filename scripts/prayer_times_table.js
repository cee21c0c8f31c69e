// Writes app/src/clinic/domain/prayer_times_check.csv: prayer times by the Umm al-Qura method
// from the npm package adhan (Batoul Apps), so the prayer-break formula is checked against an
// implementation that shares no code with ours.
//
//   npm install --no-save adhan@4.4.6 && node scripts/prayer_times_table.js
const adhan = require(require.resolve('adhan', { paths: [process.cwd()] }));
const v = JSON.parse(require('fs').readFileSync(require.resolve('adhan', { paths: [process.cwd()] }).replace(/lib.*$/, 'package.json'))).version;
// Riyadh and Jeddah, Umm al-Qura method, a week in winter and one in summer.
const places = [["riyadh", 24.7136, 46.6753], ["jeddah", 21.4858, 39.1925]];
const days = ["2026-12-06","2026-12-07","2026-12-08","2027-06-20","2027-06-21"];
const fmt = d => d.toLocaleTimeString('en-GB', {timeZone: 'Asia/Riyadh', hour: '2-digit', minute: '2-digit', hour12: false});
console.log(`# Prayer times by the Umm al-Qura method (Asr: Shafi'i/standard), local time Asia/Riyadh,`);
console.log(`# from the npm package adhan ${v} (Batoul Apps), made by scripts/prayer_times_table.js.`);
console.log("# place,lat,lon,date,fajr,dhuhr,asr,maghrib,isha");
for (const [name, lat, lon] of places) for (const day of days) {
  const [y,m,d] = day.split('-').map(Number);
  const p = new adhan.PrayerTimes(new adhan.Coordinates(lat, lon), new Date(y, m-1, d), adhan.CalculationMethod.UmmAlQura());
  console.log([name, lat, lon, day, fmt(p.fajr), fmt(p.dhuhr), fmt(p.asr), fmt(p.maghrib), fmt(p.isha)].join(','));
}
