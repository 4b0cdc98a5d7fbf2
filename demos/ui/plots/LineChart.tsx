/**
 * The former SVG line chart, now the uPlot-based Chart under its old name, so views being ported keep compiling.
 * New code imports { Chart } from './Chart'.
 */
export { Chart as LineChart, type ChartSeries as Series, type ChartProps as LineChartProps } from './Chart';
