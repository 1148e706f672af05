# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/plot.gp - throughput against message size, one line per
# mechanism, log-log.  Run on the host after tools/bench/run (gnuplot-nox):
#
#   gnuplot -e "datafile='build/bench/throughput.dat'; outfile='build/bench/throughput.png'" \
#           tools/bench/plot.gp
#
# throughput.dat: a '#' comment, then a header row ("size" and one name per
# mechanism), then one row per message size; NaN where there is no result.

if (!exists("datafile")) datafile = 'build/bench/throughput.dat'
if (!exists("outfile")) outfile = 'build/bench/throughput.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1100,700 enhanced font ",11"
set output outfile
set title "mailslot vs other message queues: stream, 1 writer -> 1 reader (test VM, median)\n".subtitle
set logscale xy 2
set logscale y 10
set xrange [11:95000]
set xtics ("16 B" 16, "256 B" 256, "4 KiB" 4096, "64 KiB" 65536)
set format y "10^{%L}"
set xlabel "message size"
set ylabel "messages per second"
set grid xtics ytics mytics
set key outside right top autotitle columnhead
set datafile missing "NaN"
ncols = 8
plot for [i=2:ncols] datafile using 1:i with linespoints lw 2 pt (i+3) ps 1.3
