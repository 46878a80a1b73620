package stats

import "errors"

// Sentinel errors. Functions in this package wrap them with details (sizes,
// positions, names), so test for them with errors.Is.
var (
	// ErrTooFewObservations reports a sample that is too short for the
	// requested computation (for example fewer rows than parameters plus one).
	ErrTooFewObservations = errors.New("stats: too few observations")
	// ErrConstantSeries reports a series with zero variance where a varying
	// series is required (for example a correlation).
	ErrConstantSeries = errors.New("stats: constant series")
	// ErrNaN reports a NaN or infinite value in the input data.
	ErrNaN = errors.New("stats: NaN or infinite value in input")
	// ErrLengthMismatch reports inputs whose lengths must agree but do not.
	ErrLengthMismatch = errors.New("stats: length mismatch")
	// ErrSingular reports a rank-deficient design matrix (collinear columns).
	ErrSingular = errors.New("stats: singular design matrix")
	// ErrInvalidArgument reports an argument outside its domain (a lag below
	// one, an alpha outside (0, 1), a p-value outside [0, 1], ...).
	ErrInvalidArgument = errors.New("stats: invalid argument")
)
