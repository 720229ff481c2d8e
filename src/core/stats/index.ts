/**
 * welfare-sim's statistics, one concept per file, all pure. metrics.json, `compare`, `plan`, the report and the
 * notebooks use these and nothing else. docs/statistics.md explains each method, its reference and its limits.
 */
export { Z95, normalQuantile } from './normal.ts';
export { wilsonBounds, wilsonInterval, type Bounds } from './wilson.ts';
export { clusterKey, ClusterTallies, tallyByCluster, type ClusterFields, type ClusterTally } from './cluster-tally.ts';
export { intraclassCorrelation, type IccEstimate } from './intraclass-correlation.ts';
export { clusterDesign, designEffect, degreesOfFreedomFactor, type ClusterDesign, type IccBasis } from './design-effect.ts';
export { clusteredRate, type ClusteredRate } from './clustered-rate.ts';
export { studentQuantile, incompleteBeta } from './student-t.ts';
export { clusteredMean, type ClusteredMean, type ClusteredMeanOptions, type MeanIntervalMethod } from './clustered-mean.ts';
export { pairedProportionDifference, squareAndAdd, type BinaryPair, type PairedProportionDifference, type PairedTable } from './paired-proportion.ts';
export { pairedMeanDifference, type DifferencePair, type PairedMeanDifference } from './paired-mean.ts';
export { kaplanMeier, survivalAt, endedBefore, endedByDesign, type KaplanMeierCurve, type SurvivalObservation, type SurvivalPoint, type SurvivalStep } from './kaplan-meier.ts';
export { perArmForTwoProportions, pairsForPairedProportions, pairsForMeanDifference, observationsForWidth, clusteredSize, type ClusteredSize, type Power } from './sample-size.ts';
