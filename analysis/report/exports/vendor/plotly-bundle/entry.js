'use strict';
// The trace types analysis/report/charts.py draws: scatter (in core), bar, heatmap, scatterpolar, barpolar.
// A chart with another trace type needs it added here, and the bundle rebuilt (scripts/build_plotly_bundle.sh).
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/barpolar'),
]);

module.exports = Plotly;
