/**
 * The page's own script: draws each service's chart with Chart.js (inlined beside it) from the
 * JSON the page carries. Failed tasks are stepped lines; each setting's first action and the
 * circuit breaker's moment are points on the time axis, named in the legend and tooltips.
 * Runs in the browser, so it is plain ES2020 kept as text.
 */
const CHART_SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const colours = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const clock = (t) => new Date(t).toISOString().slice(11, 19);
  for (const [i, service] of data.entries()) {
    const canvas = document.getElementById('chart-' + i);
    if (!canvas) continue;
    const lines = service.chart.deployments.map((d, j) => ({
      type: 'line', label: d.label, data: d.points.map((p) => ({ x: p.t, y: p.y })),
      stepped: true, borderColor: colours[j % colours.length], pointRadius: 2,
    }));
    const markers = service.chart.markers.map((m, j) => ({
      type: 'scatter', label: m.label, data: [{ x: m.t, y: m.y }],
      pointStyle: m.kind === 'breaker' ? 'rectRot' : 'triangle', pointRadius: 9,
      backgroundColor: m.kind === 'breaker' ? '#d62728' : colours[(j + 2) % colours.length],
    }));
    new Chart(canvas, {
      data: { datasets: [...lines, ...markers] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { title: { display: true, text: service.chart.title },
          tooltip: { callbacks: { title: (items) => clock(items[0].parsed.x) + ' UTC' } } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'time (UTC)' },
               ticks: { callback: (v) => clock(v) } },
          y: { beginAtZero: true, title: { display: true, text: 'failed tasks' }, ticks: { precision: 0 } },
        },
      },
    });
  }
  document.body.dataset.charts = 'drawn';
})();
`;

export { CHART_SCRIPT };
