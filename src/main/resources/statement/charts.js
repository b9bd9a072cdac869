// Draws a statement's charts with ECharts (just above, in the same script) from the page's data island. Errors are
// recorded on <body data-errors> so that a headless browser check can see them in the DOM.
(function () {
  'use strict';
  var errors = [];
  function fail(message) {
    errors.push(String(message));
    document.body.setAttribute('data-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) { fail(e.message); });
  var data = JSON.parse(document.getElementById('statement-data').textContent);
  var rendered = 0;
  var palette = ['#2456a6', '#d9822b', '#3a9d5d', '#8e5bb5', '#c23b22', '#5b6475'];
  var noPlanColour = '#9aa3b2';

  function colourOf(index, segment) { return segment.rated ? palette[index % palette.length] : noPlanColour; }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    try {
      var chart = echarts.init(element, null, { renderer: 'svg' });
      chart.setOption(option);
      element.setAttribute('data-rendered', 'true');
      rendered += 1;
      window.addEventListener('resize', function () { chart.resize(); });
    } catch (e) {
      fail(id + ': ' + e.message);
    }
  }

  var labels = data.days.map(function (d) { return d.substring(5); });
  var axis = { type: 'category', data: labels, axisLabel: { interval: 1 }, name: 'local date', nameLocation: 'middle', nameGap: 28 };
  var grid = { left: 64, right: 24, top: 48, bottom: 56 };
  var tooltip = { trigger: 'axis', valueFormatter: function (v) { return v == null ? '–' : Number(v).toLocaleString('en-US'); } };

  draw('chart-daily', {
    animation: false,
    title: { text: 'DARs per local day', left: 0, textStyle: { fontSize: 13 } },
    legend: { top: 0, right: 0 },
    tooltip: tooltip,
    grid: grid,
    xAxis: axis,
    yAxis: { type: 'value', name: 'DARs', minInterval: 1 },
    series: data.segments.map(function (s, i) {
      return { name: s.label, type: 'bar', stack: 'dars', data: s.dailyDars, itemStyle: { color: colourOf(i, s) }, barMaxWidth: 24 };
    })
  });

  var cumulative = [];
  data.segments.forEach(function (s, i) {
    cumulative.push({ name: s.label + ': cumulative DARs', type: 'line', data: s.cumulativeDars, connectNulls: false, symbolSize: 4,
      lineStyle: { width: 2, color: colourOf(i, s) }, itemStyle: { color: colourOf(i, s) } });
    if (s.rated) {
      cumulative.push({ name: s.label + ': included', type: 'line', step: 'middle', data: s.included, symbol: 'none',
        lineStyle: { type: 'dashed', width: 2, color: colourOf(i, s) }, itemStyle: { color: colourOf(i, s) } });
    }
    if (s.projected) {
      cumulative.push({ name: s.label + ': projected', type: 'line', data: s.projected, symbol: 'none',
        lineStyle: { type: 'dotted', width: 2, color: colourOf(i, s) }, itemStyle: { color: colourOf(i, s) } });
    }
  });
  draw('chart-cumulative', {
    animation: false,
    title: { text: 'Cumulative DARs against the included allowance, per plan segment', left: 0, textStyle: { fontSize: 13 } },
    legend: { top: 22, left: 0, type: 'scroll' },
    tooltip: tooltip,
    grid: { left: 64, right: 24, top: 64, bottom: 56 },
    xAxis: axis,
    yAxis: { type: 'value', name: 'DARs', minInterval: 1 },
    series: cumulative
  });
  document.body.setAttribute('data-charts', String(rendered));
})();
