// Writes app/src/kernel/values/umm_al_qura_months.txt: the first day of every Hijri month from
// 1447 to 1500 AH by the npm package moment-hijri, whose Umm al-Qura table is its own, so the
// table in hijri.rs (from the Saudi calendar as the PyPI package hijridate carries it) is
// checked against a second source.
//
//   npm install --no-save moment-hijri@3.0.0 && node scripts/umm_al_qura_months.js
const m = require(require.resolve("moment-hijri", { paths: [process.cwd()] }));
m.locale("en");
console.log("# Umm al-Qura month starts (year month first-day) by moment-hijri, made by");
console.log("# scripts/umm_al_qura_months.js.");
for (let y = 1447; y <= 1500; y++) {
  for (let mo = 1; mo <= 12; mo++) {
    console.log(`${y} ${mo} ${m(`${y}/${mo}/1`, "iYYYY/iM/iD").locale("en").format("YYYY-MM-DD")}`);
  }
}
