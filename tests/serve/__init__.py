"""Tests of `autograder serve`."""
